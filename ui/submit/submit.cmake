# SPDX-License-Identifier: GPL-3.0-or-later
# ui/submit: the run-submission dialog, its dependency rows and the fit check against the worker.
codalab_add_ui_library(codalab_ui_submit SOURCES
    submit/dependencyeditor.cpp
    submit/dependencymodel.cpp
    submit/dependencyresolver.cpp
    submit/fieldmarks.cpp
    submit/fitcheck.cpp
    submit/imagecombobox.cpp
    submit/livecommitdelegate.cpp
    submit/priorityspinbox.cpp
    submit/runform.cpp
    submit/submitrundialog.cpp
)
