# SPDX-License-Identifier: GPL-3.0-or-later
# Sources of ui/shell: the main window, profiles, settings and start-up.
target_sources(codalab_ui PRIVATE
    shell/mainwindow.cpp
)
