# SPDX-License-Identifier: GPL-3.0-or-later
# ui/machine: the machine, caches and Docker pages.
codalab_add_ui_library(codalab_ui_machine SOURCES
    machine/dockerpanel.cpp
    machine/imagelistmodel.cpp
    machine/gpumodel.cpp
    machine/machinepage.cpp
    machine/cachemodel.cpp
    machine/cachespage.cpp
    machine/usagebar.cpp
    LIBRARIES codalab_ui_charts
)
