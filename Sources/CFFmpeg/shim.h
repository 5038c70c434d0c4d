// libavformat/libavcodec/libavutil/libswscale, plus static inline wrappers for the
// function-like macros and fixed-size pointer arrays that Swift cannot import cleanly.
#include <libavformat/avformat.h>
#include <libavcodec/avcodec.h>
#include <libavutil/avutil.h>
#include <libavutil/imgutils.h>
#include <libavutil/opt.h>
#include <libavutil/error.h>
#include <libavutil/channel_layout.h>
#include <libavutil/display.h>
#include <libswscale/swscale.h>
#include <libswresample/swresample.h>

static inline int cffmpeg_averror(int e) { return AVERROR(e); }
static inline int cffmpeg_averror_eof(void) { return AVERROR_EOF; }
static inline int cffmpeg_averror_eagain(void) { return AVERROR(EAGAIN); }
static inline int64_t cffmpeg_nopts_value(void) { return AV_NOPTS_VALUE; }

/// Converts a decoded frame (any pixel format the context was made for) into one packed
/// 24-bit RGB buffer of `dst_stride` bytes per row. Returns the output height or < 0.
static inline int cffmpeg_scale_frame_to_packed(struct SwsContext *c, const AVFrame *src,
                                                uint8_t *dst, int dst_stride) {
    uint8_t *planes[4] = { dst, NULL, NULL, NULL };
    int strides[4] = { dst_stride, 0, 0, 0 };
    return sws_scale(c, (const uint8_t *const *)src->data, src->linesize, 0, src->height,
                     planes, strides);
}

/// Converts one packed 24-bit RGB buffer of `height` rows into an allocated frame.
static inline int cffmpeg_scale_packed_to_frame(struct SwsContext *c, const uint8_t *src,
                                                int src_stride, int height, AVFrame *dst) {
    const uint8_t *planes[4] = { src, NULL, NULL, NULL };
    int strides[4] = { src_stride, 0, 0, 0 };
    return sws_scale(c, planes, strides, 0, height, dst->data, dst->linesize);
}

/// Sets the YUV<->RGB matrix and ranges of a scaler: `yuv_colorspace` is an SWS_CS_* value,
/// `yuv_full_range` is 1 for JPEG (0-255) range and 0 for MPEG (16-235) range. RGB is full range.
static inline int cffmpeg_set_yuv_matrix(struct SwsContext *c, int yuv_is_source,
                                         int yuv_colorspace, int yuv_full_range) {
    const int *table = sws_getCoefficients(yuv_colorspace);
    if (yuv_is_source) {
        return sws_setColorspaceDetails(c, table, yuv_full_range, table, 1, 0, 1 << 16, 1 << 16);
    }
    return sws_setColorspaceDetails(c, table, 1, table, yuv_full_range, 0, 1 << 16, 1 << 16);
}

/// Pointer to plane `i` of a frame (0...7).
static inline uint8_t *cffmpeg_frame_plane(AVFrame *f, int i) { return f->data[i]; }

static inline int cffmpeg_averror_stream_not_found(void) { return AVERROR_STREAM_NOT_FOUND; }
static inline int cffmpeg_averror_decoder_not_found(void) { return AVERROR_DECODER_NOT_FOUND; }
static inline int cffmpeg_averror_invalid_data(void) { return AVERROR_INVALIDDATA; }

/// Bytes per row of plane `i` of a frame.
static inline int cffmpeg_frame_linesize(const AVFrame *f, int i) { return f->linesize[i]; }

/// The angle of a stream's display matrix (AV_PKT_DATA_DISPLAYMATRIX side data), as
/// av_display_rotation_get reports it: degrees counter-clockwise, in (-180, 180].
/// Returns 1 and sets `*angle` when the stream carries a usable matrix, else 0.
static inline int cffmpeg_stream_display_rotation(const AVStream *st, double *angle) {
    const uint8_t *data = NULL;
    size_t size = 0;
#if LIBAVFORMAT_VERSION_MAJOR >= 61
    const AVPacketSideData *sd = av_packet_side_data_get(st->codecpar->coded_side_data,
                                                         st->codecpar->nb_coded_side_data,
                                                         AV_PKT_DATA_DISPLAYMATRIX);
    if (sd) { data = sd->data; size = sd->size; }
#else
    data = av_stream_get_side_data(st, AV_PKT_DATA_DISPLAYMATRIX, &size);
#endif
    if (!data || size < 9 * sizeof(int32_t)) return 0;
    double a = av_display_rotation_get((const int32_t *)data);
    if (a != a) return 0; /* NaN: degenerate matrix */
    *angle = a;
    return 1;
}

/// Attaches a display matrix made by av_display_rotation_set(matrix, angle) to a stream,
/// before its header is written: `angle` is the clockwise turn a player applies to display
/// the frames (av_display_rotation_get then reads back -angle).
/// Returns 0 or a negative AVERROR code.
static inline int cffmpeg_stream_set_display_rotation(AVStream *st, double angle) {
    const size_t size = 9 * sizeof(int32_t);
#if LIBAVFORMAT_VERSION_MAJOR >= 61
    AVPacketSideData *sd = av_packet_side_data_new(&st->codecpar->coded_side_data,
                                                   &st->codecpar->nb_coded_side_data,
                                                   AV_PKT_DATA_DISPLAYMATRIX, size, 0);
    if (!sd) return AVERROR(ENOMEM);
    av_display_rotation_set((int32_t *)sd->data, angle);
    return 0;
#else
    uint8_t *data = av_malloc(size);
    if (!data) return AVERROR(ENOMEM);
    av_display_rotation_set((int32_t *)data, angle);
    int status = av_stream_add_side_data(st, AV_PKT_DATA_DISPLAYMATRIX, data, size);
    if (status < 0) av_free(data);
    return status;
#endif
}
