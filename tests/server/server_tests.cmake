# SPDX-License-Identifier: GPL-3.0-or-later
# Tests of core/server against codalab-local-server on 127.0.0.1
codalab_add_test(test_server integration SOURCES
    server/test_runrequest.cpp
    server/test_codalabclient.cpp
    server/test_workerapi.cpp
    server/test_bundletransfer.cpp
    server/test_bundletransfer_big.cpp
    util/tarbuilder.cpp
    LIBRARIES LibArchive::LibArchive)
target_compile_definitions(test_server PRIVATE CODALAB_LOCAL_SERVER_BIN="$<TARGET_FILE:codalab-local-server>")
add_dependencies(test_server codalab-local-server)
