# SPDX-License-Identifier: GPL-3.0-or-later
# ui/bundles: a worksheet's bundles, their contents, uploads and saves (the transfers list).
codalab_add_ui_library(codalab_ui_bundles SOURCES
    bundles/bundleeditdialog.cpp
    bundles/bundlesmodel.cpp
    bundles/bundlespage.cpp
    bundles/contentsbrowser.cpp
    bundles/contentsmodel.cpp
    bundles/fileviewer.cpp
    bundles/outputsaver.cpp
    bundles/transfermodel.cpp
    bundles/transferpanel.cpp
    bundles/transferqueue.cpp
    bundles/uploaddialog.cpp
    LIBRARIES codalab_ui_logs
)
