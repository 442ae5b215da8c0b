# SPDX-License-Identifier: GPL-3.0-or-later
# ui/submit.
codalab_add_ui_library(codalab_ui_submit SOURCES
)
