# SPDX-License-Identifier: GPL-3.0-or-later
# Tests of core/system, with a fake nvidia-smi (there is no GPU on the test machines)
codalab_add_test(test_system unit SOURCES system/test_machinespecs.cpp system/test_gpuprocess.cpp
    system/test_machinehistory.cpp)
target_compile_definitions(test_system PRIVATE FAKE_NVIDIA_SMI="${CMAKE_CURRENT_SOURCE_DIR}/system/fake-nvidia-smi")
