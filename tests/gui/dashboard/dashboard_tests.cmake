# SPDX-License-Identifier: GPL-3.0-or-later
# Tests of ui/dashboard: its models from status snapshots, the page against a real codalab-worker.
codalab_add_gui_test(test_gui_dashboard DOCKER WORKER SOURCES
    gui/dashboard/test_slotmodel.cpp
    gui/dashboard/test_containermodel.cpp
    gui/dashboard/test_dashboardpage.cpp
    LIBRARIES codalab_ui_dashboard)
