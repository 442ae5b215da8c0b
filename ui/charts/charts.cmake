# SPDX-License-Identifier: GPL-3.0-or-later
# ui/charts: small live time-series charts (Qt Charts) for a run's resources and the machine's last hour.
codalab_add_ui_library(codalab_ui_charts SOURCES
    charts/timeserieschart.cpp
    charts/runresourcecharts.cpp
    charts/machinehistorycharts.cpp
    LIBRARIES Qt6::Charts
)
