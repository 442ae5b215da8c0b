// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

/// `codalab-worker --gpu-report`: what the worker makes of this machine's nvidia-smi — the GPUs it detects,
/// the processes on them with the container each runs in, and the Docker `DeviceRequests` a run given one
/// GPU would get — so scripts/gpu-check.sh can show on a real GPU machine that our parsers accept the real
/// output. Exit codes: 0 fine (also with no nvidia-smi: nothing to parse), 1 nvidia-smi failed or printed
/// lines the parsers did not understand.
class GpuReport
{
public:
    GpuReport() = delete;
    static int run();
};
