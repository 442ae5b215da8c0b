# SPDX-License-Identifier: GPL-3.0-or-later
# ui/dashboard: the worker dashboard (slots, containers, availability).
codalab_add_ui_library(codalab_ui_dashboard SOURCES
    dashboard/slotmodel.cpp
    dashboard/containermodel.cpp
    dashboard/dashboardpage.cpp
    LIBRARIES codalab_ui_charts
)
