# SPDX-License-Identifier: GPL-3.0-or-later
# core/secrets sources. Password files, the terminal prompt and credentials are in codalab_core, which the
# headless executables link. The keyring (QtKeychain over D-Bus; no plaintext fallback), profiles and cl's
# logins are a library of their own, codalab_secrets, for the desktop and the tests: in codalab_core, AUTOMOC's
# single moc object pulled QtKeychain, QtDBus and libdbus into codalab-worker, 1.2 MiB of its idle RSS
# (docs/performance.md, issue #16).
target_sources(codalab_core PRIVATE
    secrets/credentials.cpp
    secrets/passwordfile.cpp
    secrets/passwordprompt.cpp
)
find_package(Qt6 REQUIRED COMPONENTS DBus)
find_package(Qt6Keychain REQUIRED)
add_library(codalab_secrets STATIC
    secrets/clstateimport.cpp
    secrets/profile.cpp
    secrets/profilestore.cpp
    secrets/secreterror.cpp
    secrets/secretjob.cpp
    secrets/secretkey.cpp
    secrets/secretserviceprobe.cpp
    secrets/secretslogging.cpp
    secrets/secretstore.cpp
)
# QtKeychain stays inside the .cpp files; SecretServiceProbe's constructor takes a QDBusConnection.
target_link_libraries(codalab_secrets PUBLIC codalab_core Qt6::DBus PRIVATE Qt6Keychain::Qt6Keychain)
