# SPDX-License-Identifier: GPL-3.0-or-later
# core/worker sources: the worker engine (codalab-worker)
target_sources(codalab_core PRIVATE
    worker/resourceallocator.cpp
)
# Parts being written side by side; merged into this list once they land.
include(${CMAKE_CURRENT_LIST_DIR}/caches.cmake OPTIONAL)
include(${CMAKE_CURRENT_LIST_DIR}/readers.cmake OPTIONAL)
include(${CMAKE_CURRENT_LIST_DIR}/control.cmake OPTIONAL)
include(${CMAKE_CURRENT_LIST_DIR}/upload.cmake OPTIONAL)
include(${CMAKE_CURRENT_LIST_DIR}/engine.cmake OPTIONAL)
