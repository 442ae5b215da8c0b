# SPDX-License-Identifier: GPL-3.0-or-later
# core/localserver sources: the CodaLab-compatible local server
