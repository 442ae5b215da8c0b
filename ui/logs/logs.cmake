# SPDX-License-Identifier: GPL-3.0-or-later
# ui/logs: the Logs page, a live tail of a run's stdout/stderr (local files or REST range reads) and of the
# worker's own log, which opens files of any size at once and searches them off the GUI thread.
codalab_add_ui_library(codalab_ui_logs SOURCES
    logs/logsource.cpp
    logs/localfilelogsource.cpp
    logs/remotelogsource.cpp
    logs/logsearch.cpp
    logs/logwindow.cpp
    logs/logtextedit.cpp
    logs/logsearchbar.cpp
    logs/visibilitygate.cpp
    logs/logstatusline.cpp
    logs/logview.cpp
    logs/runlogtabs.cpp
    logs/logspage.cpp
)
