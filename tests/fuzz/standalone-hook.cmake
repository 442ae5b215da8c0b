# SPDX-License-Identifier: GPL-3.0-or-later
# Used by scripts/run-fuzz.sh only while neither CMakeLists.txt nor tests/CMakeLists.txt adds tests/fuzz:
# given as CMAKE_PROJECT_INCLUDE, it includes tests/fuzz/CMakeLists.txt once the top-level directory is done
# (codalab_core exists by then; a deferred call may not add a subdirectory, so it is include()d, which is why
# that file names its paths from CMAKE_CURRENT_LIST_DIR). Delete it once the add_subdirectory line is in.
# A deferred call's arguments are expanded when it runs (by then CMAKE_CURRENT_LIST_DIR is the top level), so
# the path is spelled out now.
cmake_language(EVAL CODE "cmake_language(DEFER CALL include [[${CMAKE_CURRENT_LIST_DIR}/CMakeLists.txt]])")
