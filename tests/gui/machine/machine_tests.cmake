# SPDX-License-Identifier: GPL-3.0-or-later
# Tests of ui/machine: the Docker pane against the real daemon and its image model; the machine and caches
# pages (GPUs from the fake nvidia-smi) against a real codalab-worker, and their models.
codalab_add_gui_test(test_gui_machine DOCKER WORKER SOURCES
    gui/machine/test_imagelistmodel.cpp
    gui/machine/test_dockerpanel.cpp
    gui/machine/test_gpumodel.cpp
    gui/machine/test_cachemodel.cpp
    gui/machine/test_machinepage.cpp
    gui/machine/test_cachespage.cpp
    LIBRARIES codalab_ui_machine)
target_compile_definitions(test_gui_machine PRIVATE
    FAKE_NVIDIA_SMI="${PROJECT_SOURCE_DIR}/tests/system/fake-nvidia-smi")
