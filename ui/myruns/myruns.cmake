# SPDX-License-Identifier: GPL-3.0-or-later
# ui/myruns.
codalab_add_ui_library(codalab_ui_myruns SOURCES
)
