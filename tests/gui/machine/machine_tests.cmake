# SPDX-License-Identifier: GPL-3.0-or-later
# Tests of ui/machine: the Docker pane against the real daemon, and its image model.
codalab_add_gui_test(test_gui_machine DOCKER SOURCES
    gui/machine/test_imagelistmodel.cpp
    gui/machine/test_dockerpanel.cpp
    LIBRARIES codalab_ui_shell)
