# SPDX-License-Identifier: GPL-3.0-or-later
# ui/myruns: the user's runs on the CodaLab server (filter, details, logs, kill, rerun).
codalab_add_ui_library(codalab_ui_myruns SOURCES
    myruns/runtimes.cpp
    myruns/ownworkerhold.cpp
    myruns/myrunsmodel.cpp
    myruns/myrunsfiltermodel.cpp
    myruns/rundetailspanel.cpp
    myruns/myrunspage.cpp
    LIBRARIES codalab_ui_charts
)
