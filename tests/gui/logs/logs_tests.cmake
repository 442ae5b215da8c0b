# SPDX-License-Identifier: GPL-3.0-or-later
# Tests of ui/logs: the byte window, local files (sparse multi-gigabyte ones included), and a run's files
# read through a real local server. The benchmark is built here but is not a ctest test: it prints figures.
codalab_add_gui_test(test_gui_logs DOCKER WORKER SOURCES
    gui/logs/test_logwindow.cpp
    gui/logs/test_logview.cpp
    gui/logs/test_logspage.cpp
    gui/logs/test_logsfollow.cpp
    gui/logs/test_logtabs.cpp
    gui/logs/test_logtextedit.cpp
    LIBRARIES codalab_ui_logs)

if(CODALAB_BUILD_BENCH)
    add_executable(bench_log_tail bench/bench_log_tail.cpp)
    target_link_libraries(bench_log_tail PRIVATE codalab_testsupport_gui codalab_ui_logs)
    # The desktop's idle RSS and CPU against a bare Qt Widgets process (docs/performance.md, P5).
    add_executable(bench_desktop_idle bench/bench_desktop_idle.cpp)
    target_link_libraries(bench_desktop_idle PRIVATE codalab_testhelpers Qt6::Widgets)
    target_compile_definitions(bench_desktop_idle PRIVATE CODALAB_DESKTOP_BIN="$<TARGET_FILE:codalab-desktop>")
    add_dependencies(bench_desktop_idle codalab-desktop codalab-worker)
    add_test(NAME bench_desktop_idle COMMAND bench_desktop_idle --settle 10 --seconds 10)
    set_tests_properties(bench_desktop_idle PROPERTIES LABELS bench FIXTURES_REQUIRED docker TIMEOUT 300)
endif()
