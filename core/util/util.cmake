# SPDX-License-Identifier: GPL-3.0-or-later
# core/util sources (sizes, durations, uuids, safe archive extraction)
target_sources(codalab_core PRIVATE
    util/archivepathguard.cpp
    util/boundedpipe.cpp
    util/bundleuuid.cpp
    util/bytesize.cpp
    util/decimalnumber.cpp
    util/deflateblockscanner.cpp
    util/duration.cpp
    util/jsonnumber.cpp
    util/logformat.cpp
    util/parallelgzipwriter.cpp
    util/gzipcodec.cpp
    util/safearchive.cpp
    util/stagingdirectory.cpp
    util/targzwriter.cpp
    util/transferrate.cpp
    util/treecopy.cpp
    util/targetinfo.cpp
    util/tasklink.cpp
)
# Tar and gzip, read and written without shelling out to tar.
find_package(LibArchive REQUIRED)
find_package(ZLIB REQUIRED)
# libdeflate compresses the blocks of a parallel gzip stream: at gzip's level 6 it is twice as fast as zlib's
# on text, for the same size (docs/performance.md, P3).
find_package(PkgConfig REQUIRED)
pkg_check_modules(LIBDEFLATE REQUIRED IMPORTED_TARGET libdeflate)
target_link_libraries(codalab_core PRIVATE LibArchive::LibArchive ZLIB::ZLIB PkgConfig::LIBDEFLATE)
