# SPDX-License-Identifier: GPL-3.0-or-later
# Tests of ui/myruns: the runs model and page against codalab-local-server, and a real worker for the
# screenshot.
codalab_add_gui_test(test_gui_myruns DOCKER WORKER SOURCES
    gui/myruns/test_myrunsmodel.cpp
    gui/myruns/test_myrunspage.cpp
    gui/myruns/test_rundetails.cpp
    gui/myruns/myrunstestsupport.cpp
    LIBRARIES codalab_ui_myruns)
