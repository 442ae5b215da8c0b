# SPDX-License-Identifier: GPL-3.0-or-later
# ui/common: what every page shares.
target_sources(codalab_ui_common PRIVATE
    common/buttonmenu.cpp
    common/desktopsettings.cpp
    common/englishplurals.cpp
    common/keyedtablemodel.cpp
    common/statecolour.cpp
    common/usernames.cpp
    common/units.cpp
    common/workerheadline.cpp
    common/workerlink.cpp
    common/workerruns.cpp
)
