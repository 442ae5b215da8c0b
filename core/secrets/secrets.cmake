# SPDX-License-Identifier: GPL-3.0-or-later
# core/secrets sources: the keyring (QtKeychain; no plaintext fallback), password files, profiles, cl's logins
find_package(Qt6 REQUIRED COMPONENTS DBus)
find_package(Qt6Keychain REQUIRED)
target_sources(codalab_core PRIVATE
    secrets/clstateimport.cpp
    secrets/credentials.cpp
    secrets/passwordfile.cpp
    secrets/passwordprompt.cpp
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
target_link_libraries(codalab_core PUBLIC Qt6::DBus PRIVATE Qt6Keychain::Qt6Keychain)
