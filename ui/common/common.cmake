# SPDX-License-Identifier: GPL-3.0-or-later
# Sources of ui/common: what every page shares.
target_sources(codalab_ui PRIVATE
    common/desktopsettings.cpp
    common/workerlink.cpp
)
