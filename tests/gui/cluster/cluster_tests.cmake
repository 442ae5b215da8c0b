# SPDX-License-Identifier: GPL-3.0-or-later
# Tests of ui/cluster: the jobs model and the profiles on their own; then the Cluster page, its dialog, the
# tray's Cluster menu and the submission dialog's cluster fit check driving a real codalab-worker-manager on
# the one-node test cluster, with a real codalab-local-server and Docker.
codalab_add_gui_test(test_gui_cluster_units SOURCES
    gui/cluster/test_clusterjobsmodel.cpp
    gui/cluster/test_clusterprofile.cpp
    LIBRARIES codalab_ui_cluster)
codalab_add_gui_test(test_gui_cluster DOCKER WORKER SLURM SOURCES
    gui/cluster/test_clusterpage.cpp
    gui/submit/submittestsupport.cpp
    worker/workerharness.cpp
    LIBRARIES codalab_ui_cluster codalab_ui_submit)
target_compile_definitions(test_gui_cluster PRIVATE CODALAB_MANAGER_BIN="$<TARGET_FILE:codalab-worker-manager>"
    FAKE_SYSTEMCTL="${CMAKE_CURRENT_SOURCE_DIR}/gui/shell/fake-systemctl")
add_dependencies(test_gui_cluster codalab-worker-manager)
