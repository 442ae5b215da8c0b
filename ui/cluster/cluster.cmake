# SPDX-License-Identifier: GPL-3.0-or-later
# ui/cluster: Slurm clusters — their profiles, the worker manager the desktop starts for each, the Cluster page
# and the tray's Cluster submenu.
codalab_add_ui_library(codalab_ui_cluster SOURCES
    cluster/clustercontroller.cpp
    cluster/clusterjobsmodel.cpp
    cluster/clustermenu.cpp
    cluster/clusterpage.cpp
    cluster/clusterprofile.cpp
    cluster/clusterprofiledialog.cpp
    cluster/managerheadline.cpp
    LIBRARIES codalab_ui_shell
)
