# SPDX-License-Identifier: GPL-3.0-or-later
# Tests of core/localserver over real HTTP on 127.0.0.1
codalab_add_test(test_localserver integration SOURCES
    localserver/test_localserver_auth.cpp
    localserver/test_localserver_bundles.cpp
    localserver/test_localserver_contents.cpp
    localserver/test_localserver_workers.cpp
    localserver/test_localserver_checkin.cpp
    util/tarbuilder.cpp
    LIBRARIES LibArchive::LibArchive)
target_compile_definitions(test_localserver PRIVATE CODALAB_LOCAL_SERVER_BIN="$<TARGET_FILE:codalab-local-server>")
add_dependencies(test_localserver codalab-local-server)

# Faults and hostile requests (issue #8): the codalab-local-server executable killed mid-transaction,
# oversized and malformed HTTP.
codalab_add_test(test_localserver_faults integration SOURCES
    localserver/test_localserver_faults.cpp
    util/tarbuilder.cpp
    LIBRARIES LibArchive::LibArchive)
target_compile_definitions(test_localserver_faults PRIVATE CODALAB_LOCAL_SERVER_BIN="$<TARGET_FILE:codalab-local-server>")
add_dependencies(test_localserver_faults codalab-local-server)
