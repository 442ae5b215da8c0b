# SPDX-License-Identifier: GPL-3.0-or-later
# Sources of ui/machine: the machine, caches and Docker pages.
target_sources(codalab_ui PRIVATE
    machine/dockerpanel.cpp
    machine/imagelistmodel.cpp
)
