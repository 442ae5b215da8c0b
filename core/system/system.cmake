# SPDX-License-Identifier: GPL-3.0-or-later
# core/system sources: machine specs (CPU, memory, disk, GPUs from nvidia-smi)
target_sources(codalab_core PRIVATE
    system/gpuinfo.cpp
    system/gpuprobe.cpp
    system/machineprobe.cpp
    system/machinespecs.cpp
)
