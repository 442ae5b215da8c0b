# SPDX-License-Identifier: GPL-3.0-or-later
# Tests of core/localserver over real HTTP on 127.0.0.1
