# SPDX-License-Identifier: GPL-3.0-or-later
# Widget tests: Catch2 with QTest events on the offscreen platform, one executable per folder of ui/.
# Screenshots land in docs/screenshots/ when CODALAB_SCREENSHOTS=1 (test::saveScreenshot).
add_library(codalab_testsupport_gui STATIC support/testmain.cpp gui/support/guitestsupport.cpp)
target_compile_definitions(codalab_testsupport_gui PUBLIC CODALAB_TEST_WIDGETS
    CODALAB_SCREENSHOT_DIR="${PROJECT_SOURCE_DIR}/docs/screenshots"
    CODALAB_WORKER_BIN="$<TARGET_FILE:codalab-worker>")
target_include_directories(codalab_testsupport_gui PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/gui)
target_link_libraries(codalab_testsupport_gui PUBLIC codalab_testhelpers codalab_ui_common)

# codalab_add_gui_test(NAME [DOCKER] [WORKER] [SLURM] SOURCES ...): label gui; DOCKER needs the real daemon;
# WORKER builds codalab-worker first, for tests that start it (CODALAB_WORKER_BIN); SLURM needs the one-node
# test cluster (and Docker).
function(codalab_add_gui_test name)
    cmake_parse_arguments(ARG "DOCKER;WORKER;SLURM" "" "SOURCES;LIBRARIES" ${ARGN})
    add_executable(${name} ${ARG_SOURCES})
    target_link_libraries(${name} PRIVATE codalab_testsupport_gui ${ARG_LIBRARIES})
    set(props LABELS gui TIMEOUT 300 ENVIRONMENT "QT_QPA_PLATFORM=offscreen")
    if(ARG_DOCKER)
        list(APPEND props FIXTURES_REQUIRED docker)
    endif()
    if(ARG_SLURM) # the slurm fixture requires the docker one; the test points SLURM_CONF at it itself
        list(APPEND props FIXTURES_REQUIRED slurm)
        target_compile_definitions(${name} PRIVATE CODALAB_SLURM_CONF="${CODALAB_SLURM_STATE_DIR}/slurm.conf")
    endif()
    if(ARG_WORKER)
        add_dependencies(${name} codalab-worker)
    endif()
    catch_discover_tests(${name} TEST_PREFIX "${name}: " PROPERTIES ${props})
endfunction()

include(gui/common/common_tests.cmake)
include(gui/charts/charts_tests.cmake)
include(gui/dashboard/dashboard_tests.cmake)
include(gui/machine/machine_tests.cmake)
include(gui/logs/logs_tests.cmake)
include(gui/submit/submit_tests.cmake)
include(gui/tray/tray_tests.cmake)
include(gui/myruns/myruns_tests.cmake)
include(gui/bundles/bundles_tests.cmake)
include(gui/shell/shell_tests.cmake)
include(gui/cluster/cluster_tests.cmake)
