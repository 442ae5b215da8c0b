# SPDX-License-Identifier: GPL-3.0-or-later
# Tests of ui/charts: the time-series chart on its own, and the run and machine charts fed by a real
# codalab-worker (GPU processes from tests/system/fake-nvidia-smi, naming the run's real container).
codalab_add_gui_test(test_gui_charts DOCKER WORKER SOURCES
    gui/charts/test_charts.cpp
    LIBRARIES codalab_ui_dashboard codalab_ui_machine)
target_compile_definitions(test_gui_charts PRIVATE FAKE_NVIDIA_SMI="${CMAKE_CURRENT_SOURCE_DIR}/system/fake-nvidia-smi")
