# SPDX-License-Identifier: GPL-3.0-or-later
# The worker manager: its decisions without I/O, and the whole of it against a real one-node Slurm cluster, a
# real codalab-local-server and real Docker.
codalab_add_test(test_cluster_units unit SOURCES cluster/test_managerplan.cpp cluster/test_jobscript.cpp
    cluster/test_slurmpartition.cpp cluster/test_clusterfit.cpp)
codalab_add_test(test_cluster_slurm integration DOCKER SLURM SOURCES
    cluster/test_workermanager.cpp
    cluster/test_slurmpartitions_real.cpp
    cluster/managertestsupport.cpp
    worker/workerharness.cpp)
target_compile_definitions(test_cluster_slurm PRIVATE CODALAB_WORKER_BIN="$<TARGET_FILE:codalab-worker>"
    CODALAB_MANAGER_BIN="$<TARGET_FILE:codalab-worker-manager>")
add_dependencies(test_cluster_slurm codalab-worker codalab-worker-manager)
# --ssh: the same cluster through a real sshd on the loopback (SshLoopback), as a login node.
codalab_add_test(test_cluster_ssh integration DOCKER SLURM SOURCES
    cluster/test_manager_ssh.cpp
    cluster/sshloopback.cpp
    cluster/managertestsupport.cpp
    worker/workerharness.cpp)
target_compile_definitions(test_cluster_ssh PRIVATE CODALAB_WORKER_BIN="$<TARGET_FILE:codalab-worker>")
add_dependencies(test_cluster_ssh codalab-worker)
