# SPDX-License-Identifier: GPL-3.0-or-later
# Tests of core/worker
codalab_add_test(test_worker_units unit SOURCES worker/test_resourceallocator.cpp)
