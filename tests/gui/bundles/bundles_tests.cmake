# SPDX-License-Identifier: GPL-3.0-or-later
# Tests of ui/bundles: the Bundles page, its models, dialogs and transfers against codalab-local-server.
codalab_add_gui_test(test_gui_bundles DOCKER WORKER SOURCES
    gui/bundles/test_bundlespage.cpp
    gui/bundles/test_bundlesparts.cpp
    gui/bundles/test_bundlesworker.cpp
    util/tarbuilder.cpp
    LIBRARIES codalab_ui_bundles codalab_ui_submit LibArchive::LibArchive)
