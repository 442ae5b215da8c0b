# SPDX-License-Identifier: GPL-3.0-or-later
# core/cluster sources: the worker manager (codalab-worker-manager): staged runs -> Slurm jobs.
target_sources(codalab_core PRIVATE
    cluster/clusterfit.cpp
    cluster/jobscript.cpp
    cluster/managerconfig.cpp
    cluster/managerplan.cpp
    cluster/slurmclient.cpp
    cluster/slurmjob.cpp
    cluster/slurmpartition.cpp
    cluster/stagedrun.cpp
    cluster/workermanager.cpp
)
