# SPDX-License-Identifier: GPL-3.0-or-later
# Tests of ui/common: the worker link against a real codalab-worker, the desktop settings.
codalab_add_gui_test(test_gui_common DOCKER WORKER SOURCES
    gui/common/test_workerlink.cpp
    gui/common/test_desktopsettings.cpp
    gui/common/test_englishplurals.cpp
    gui/common/test_units.cpp
    gui/common/test_workerheadline.cpp)
