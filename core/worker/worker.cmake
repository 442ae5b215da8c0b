# SPDX-License-Identifier: GPL-3.0-or-later
# core/worker sources: the worker engine (codalab-worker)
target_sources(codalab_core PRIVATE
    worker/resourceallocator.cpp
)
