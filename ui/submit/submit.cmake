# SPDX-License-Identifier: GPL-3.0-or-later
# Sources of ui/submit.
target_sources(codalab_ui PRIVATE
)
