# SPDX-License-Identifier: GPL-3.0-or-later
# Tests of ui/submit: the fit check, the dependency rows against a local server, the dialog typed into
# with QTest (exact RunRequest and `cl run` text, invalid fields, a real submission), and a run submitted
# from the dialog to a real codalab-worker --local that runs it.
codalab_add_gui_test(test_gui_submit DOCKER WORKER SOURCES
    gui/submit/test_fitcheck.cpp
    gui/submit/test_dependencymodel.cpp
    gui/submit/test_submitrundialog.cpp
    gui/submit/test_submitdialogedits.cpp
    gui/submit/test_submitworker.cpp
    gui/submit/submittestsupport.cpp
    LIBRARIES codalab_ui_submit)
