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

# The requests of the upstream `cl` CLI 1.7.3, sent as it sends them and read as it reads the answers
# (issue #14): users, uploads of every kind, bundles, worksheets, cl print's interpretation.
codalab_add_test(test_localserver_cli integration SOURCES
    localserver/clrequests.cpp
    localserver/test_localserver_cli_users.cpp
    localserver/test_localserver_cli_uploads.cpp
    localserver/test_localserver_cli_bundles.cpp
    localserver/test_localserver_cli_worksheets.cpp
    util/tarbuilder.cpp
    LIBRARIES LibArchive::LibArchive)
target_compile_definitions(test_localserver_cli PRIVATE CODALAB_LOCAL_SERVER_BIN="$<TARGET_FILE:codalab-local-server>")
add_dependencies(test_localserver_cli codalab-local-server)
