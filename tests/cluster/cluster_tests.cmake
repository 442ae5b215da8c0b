# SPDX-License-Identifier: GPL-3.0-or-later
# The worker manager: its decisions without I/O, and the whole of it against a real one-node Slurm cluster, a
# real codalab-local-server and real Docker.
codalab_add_test(test_cluster_units unit SOURCES cluster/test_managerplan.cpp cluster/test_jobscript.cpp)
codalab_add_test(test_cluster_slurm integration DOCKER SLURM SOURCES
    cluster/test_workermanager.cpp
    cluster/managertestsupport.cpp
    worker/workerharness.cpp)
target_compile_definitions(test_cluster_slurm PRIVATE CODALAB_WORKER_BIN="$<TARGET_FILE:codalab-worker>"
    CODALAB_MANAGER_BIN="$<TARGET_FILE:codalab-worker-manager>")
add_dependencies(test_cluster_slurm codalab-worker codalab-worker-manager)
