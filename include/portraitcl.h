/*
 * portraitcl.h — the C API of PortraitCL (libportraitcl.so): one-shot head avatars
 * (MegaPortraits/EMOPortraits, LivePortrait) on OpenCL devices with a CPU fallback.
 *
 * Handles (all opaque, each freed by its own _destroy function; destroying NULL is a no-op):
 *   pcl_engine   a device (CPU fallback or an OpenCL device) and its queue.
 *   pcl_model    a network bound to weights on one engine (keeps the engine alive).
 *   pcl_source   a per-source state made by a model from one picture (keeps the model alive).
 *   pcl_session  one animated face: a model, a source and the clip's state (keeps both alive).
 * A handle keeps what it was made from alive, so handles may be destroyed in any order.
 *
 * Errors: every fallible call returns a pcl_status; PCL_OK is 0. The message of the last failed
 * call on a handle is pcl_*_last_error(handle); a failed create (no handle yet) leaves its
 * message in pcl_last_error(), which is per thread. Returned strings stay valid until the next
 * call on the same handle (or, for pcl_last_error, the next failing call on the same thread).
 *
 * Thread safety: pcl_version, pcl_device_count, pcl_device_name and pcl_last_error may be
 * called from any thread at any time. Every other call on a handle, and on any handle made from
 * the same engine, must come from one thread at a time (the engine's queue is shared); distinct
 * engines may be used from distinct threads concurrently.
 *
 * Pictures: RGB, row-major, interleaved 8-bit (width*height*3 bytes) or planar float
 * (3 planes of height*width floats, values in [0, 1]). Sources and drivers must already be
 * framed to the model's input size (pcl_model_input_size) square; crop them first
 * (pcl_crop_rgb8 resamples a square region as the CLI does). Outputs are
 * pcl_model_output_size square, values clamped to [0, 1] (8-bit: rounded).
 */
#ifndef PORTRAITCL_H
#define PORTRAITCL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PCL_API_VERSION 1

/** Status codes. */
typedef enum pcl_status {
    PCL_OK = 0,
    /** An argument the call cannot honour (NULL pointer, wrong size, unknown name...). */
    PCL_ERROR_INVALID_ARGUMENT = 1,
    /** A file could not be read or written, or holds something else. */
    PCL_ERROR_IO = 2,
    /** The device failed (OpenCL error, out of device memory, no such device). */
    PCL_ERROR_DEVICE = 3,
    /** The call came out of order (e.g. rendering with no source). */
    PCL_ERROR_STATE = 4,
    /** Anything else (a bug: please report it with the message). */
    PCL_ERROR_INTERNAL = 5
} pcl_status;

typedef struct pcl_engine pcl_engine;
typedef struct pcl_model pcl_model;
typedef struct pcl_source pcl_source;
typedef struct pcl_session pcl_session;

/** A head pose: angles in degrees (as the CLI's --pose), translation in normalised units. */
typedef struct pcl_pose {
    double yaw, pitch, roll;
    double tx, ty, tz;
} pcl_pose;

/** A face found by pcl_find_faces: its box in pixels, its score in [0, 1] and five landmarks
 *  (right eye, left eye, nose tip, right and left mouth corner) as x, y pairs in pixels. */
typedef struct pcl_face {
    float x, y, width, height;
    float score;
    float landmarks[10];
} pcl_face;

/* ---- Library (thread-safe) ---- */

/** The library's version, e.g. "0.1.0" (static storage). */
const char *pcl_version(void);
/** The API version the library implements (PCL_API_VERSION of its header). */
int pcl_api_version(void);
/** Number of OpenCL devices listed (0 when none; the CPU fallback is always available). */
int pcl_device_count(void);
/** Writes device `index`'s description (NUL-terminated, truncated to `capacity`) into `buffer`. */
pcl_status pcl_device_name(int index, char *buffer, size_t capacity);
/** The message of the last failed create on this thread ("" when none). */
const char *pcl_last_error(void);

/* ---- Engine ---- */

/** An engine on `device`: "cpu", "opencl" (the fastest GPU, else the first device, else the CPU
 *  fallback) or "opencl:N"; NULL means $PORTRAIT_DEVICE, else "opencl". */
pcl_status pcl_engine_create(const char *device, pcl_engine **out);
/** The engine's device name (valid while the engine lives). */
const char *pcl_engine_name(const pcl_engine *engine);
/** The last error message on this engine ("" when none). */
const char *pcl_engine_last_error(const pcl_engine *engine);
void pcl_engine_destroy(pcl_engine *engine);

/* ---- Model ---- */

/** The network `config` (a preset such as "tiny", "liveportrait-tiny", "megaportraits-512", or a
 *  JSON file; its family is found from it) with the weights file `weights_path` (safetensors), or,
 *  when `weights_path` is NULL, seeded random weights from `random_seed` (untrained: for speed and
 *  device agreement, not faces). */
pcl_status pcl_model_create(pcl_engine *engine, const char *config, const char *weights_path,
                            uint64_t random_seed, pcl_model **out);
/** Side of the square pictures the model reads. */
int pcl_model_input_size(const pcl_model *model);
/** Side of the square pictures it renders. */
int pcl_model_output_size(const pcl_model *model);
/** The config's name (valid while the model lives). */
const char *pcl_model_config_name(const pcl_model *model);
/** The network family ("megaportraits", "liveportrait"; valid while the model lives). */
const char *pcl_model_family(const pcl_model *model);
/** Floating-point operations per source (per_frame 0) or per frame (per_frame 1). */
double pcl_model_flops(const pcl_model *model, int per_frame);
/** The last error message on this model ("" when none). */
const char *pcl_model_last_error(const pcl_model *model);
void pcl_model_destroy(pcl_model *model);

/* ---- Source ---- */

/** The per-source state of an input-size square 8-bit RGB picture. */
pcl_status pcl_source_create_rgb8(pcl_model *model, const uint8_t *rgb, int width, int height, pcl_source **out);
/** The same from planar float RGB in [0, 1]. */
pcl_status pcl_source_create_planar(pcl_model *model, const float *planes, int width, int height, pcl_source **out);
/** A source saved by pcl_source_save or `portrait avatar -o` (checked against the model). */
pcl_status pcl_source_load(pcl_model *model, const char *path, pcl_source **out);
/** Writes the source atomically (safetensors). */
pcl_status pcl_source_save(pcl_source *source, const char *path);
/** The last error message on this source ("" when none). */
const char *pcl_source_last_error(const pcl_source *source);
void pcl_source_destroy(pcl_source *source);

/* ---- Session ---- */

/** Session flags (or them together). */
enum {
    /** The driver is one picture rather than a video (LivePortrait's relative mode then takes
     *  the expression relative to a neutral one, as `portrait render` does for a picture). */
    PCL_STILL_DRIVER = 1,
    /** Do not add the invisible AI-generated watermark (added by default, as the CLI does, with a
     *  random render id, or $PORTRAIT_RENDER_ID's 8 hex digits; `portrait verify` reads it). */
    PCL_NO_WATERMARK = 2
};

/** A session animating `source` with `model`, with PCL_* `flags`. */
pcl_status pcl_session_create(pcl_model *model, pcl_source *source, int flags, pcl_session **out);
/** Replaces the session's source and restarts its clip. */
pcl_status pcl_session_set_source(pcl_session *session, pcl_source *source);
/** The next frame driven by an input-size square 8-bit picture, into `out_rgb`
 *  (output_size*output_size*3 bytes), quantised as the CLI writes 8-bit frames: rounded to the
 *  nearest level, except LivePortrait, whose official pipeline (and so the CLI) truncates. */
pcl_status pcl_session_render_rgb8(pcl_session *session, const uint8_t *rgb, int width, int height, uint8_t *out_rgb);
/** The same with planar floats in and out (out: 3*output_size*output_size floats). */
pcl_status pcl_session_render_planar(pcl_session *session, const float *planes, int width, int height, float *out_planes);
/** The next frame with the head at `pose` and the source's expression (out: planar floats). */
pcl_status pcl_session_render_pose(pcl_session *session, const pcl_pose *pose, float *out_planes);
/** Starts a new clip at the next frame (a relative-motion network takes a new reference). */
pcl_status pcl_session_restart_clip(pcl_session *session);
/** The last error message on this session ("" when none). */
const char *pcl_session_last_error(const pcl_session *session);
void pcl_session_destroy(pcl_session *session);

/* ---- Faces and framing (on an engine) ---- */

/** Faces in an 8-bit RGB picture of any size (YuNet at the picture's own resolution; the CLI
 *  first shrinks pictures larger than 640 px), largest first; writes at most `capacity` into
 *  `faces` and the number found (which may exceed `capacity`) into `count`. */
pcl_status pcl_find_faces(pcl_engine *engine, const uint8_t *rgb, int width, int height,
                          pcl_face *faces, int capacity, int *count);
/** The square region (x, y, size) in pixels around `face` (found in a width×height picture) that
 *  `model`'s official inference crops; it may reach beyond the picture (pcl_crop_rgb8 pads it). */
pcl_status pcl_face_crop(const pcl_model *model, const pcl_face *face, int width, int height, int *x, int *y, int *size);
/** Crops the square (x, y, size) of an 8-bit RGB picture (black beyond its edges) and resizes it
 *  to the model's input size with the model's official resampling, into `out_rgb`
 *  (input_size*input_size*3 bytes). */
pcl_status pcl_crop_rgb8(const pcl_model *model, const uint8_t *rgb, int width, int height,
                         int x, int y, int size, uint8_t *out_rgb);

/* ---- Devices ---- */

/** Renders one frame (source + driver: size×size planar floats, size = the model's input size)
 *  with the network `config` and random weights `random_seed` on `device_a` and on `device_b`,
 *  and reports the largest absolute difference of the two images and their PSNR in dB (infinite
 *  when identical). */
pcl_status pcl_compare_devices(const char *device_a, const char *device_b, const char *config, uint64_t random_seed,
                               const float *source_planes, const float *driver_planes, int size,
                               double *max_abs_difference, double *psnr_db);

#ifdef __cplusplus
}
#endif

#endif /* PORTRAITCL_H */
