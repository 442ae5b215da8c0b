# SPDX-License-Identifier: GPL-3.0-or-later
# ui/dashboard: the worker dashboard (slots, containers, availability) and the units every worker page shows.
codalab_add_ui_library(codalab_ui_dashboard SOURCES
    dashboard/keyedtablemodel.cpp
    dashboard/units.cpp
    dashboard/slotmodel.cpp
    dashboard/containermodel.cpp
    dashboard/dashboardpage.cpp
)
