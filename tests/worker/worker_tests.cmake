# SPDX-License-Identifier: GPL-3.0-or-later
# Tests of core/worker
codalab_add_test(test_worker_units unit SOURCES worker/test_resourceallocator.cpp)
# Parts being written side by side; merged into this file once they land.
include(${CMAKE_CURRENT_LIST_DIR}/caches_tests.cmake OPTIONAL)
include(${CMAKE_CURRENT_LIST_DIR}/readers_tests.cmake OPTIONAL)
include(${CMAKE_CURRENT_LIST_DIR}/control_tests.cmake OPTIONAL)
include(${CMAKE_CURRENT_LIST_DIR}/upload_tests.cmake OPTIONAL)
include(${CMAKE_CURRENT_LIST_DIR}/engine_tests.cmake OPTIONAL)
