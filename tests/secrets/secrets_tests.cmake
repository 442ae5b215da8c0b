# SPDX-License-Identifier: GPL-3.0-or-later
# Tests of core/secrets. Every test runs through with-keyring.sh: a private D-Bus session bus with a fresh,
# unlocked GNOME Keyring in a temporary HOME, so the SecretStore tests use a real keyring and never the
# developer's own. Catch's discovery and ctest both run a target's CROSSCOMPILING_EMULATOR in front of the
# executable (CatchAddTests.cmake's TEST_EXECUTOR); catch_discover_tests reads the property when
# codalab_add_test calls it, so it is given through CMAKE_CROSSCOMPILING_EMULATOR around that call.
set(codalab_saved_emulator "${CMAKE_CROSSCOMPILING_EMULATOR}")
set(CMAKE_CROSSCOMPILING_EMULATOR ${CMAKE_CURRENT_SOURCE_DIR}/secrets/with-keyring.sh)
codalab_add_test(test_secrets unit SOURCES
    secrets/keyringtestsupport.cpp
    secrets/test_clstateimport.cpp
    secrets/test_passwordfile.cpp
    secrets/test_profilestore.cpp
    secrets/test_secretkey.cpp
    secrets/test_secretstore.cpp
    secrets/test_secretstore_nobackend.cpp)
set(CMAKE_CROSSCOMPILING_EMULATOR "${codalab_saved_emulator}")
unset(codalab_saved_emulator)
target_compile_definitions(test_secrets PRIVATE CODALAB_SECRETS_TEST_DATA="${CMAKE_CURRENT_SOURCE_DIR}/secrets/data")
