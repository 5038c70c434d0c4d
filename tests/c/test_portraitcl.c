/* End-to-end test of the C API (include/portraitcl.h): engine, model, source, session, poses,
 * saved sources, errors, faces and the device comparison, on a tiny network with random weights.
 * Usage: test_portraitcl [--config NAME] [--device DEV] [--dump FILE]
 * --dump writes the first driven frame as planar float32 (3*S*S values) for the Python test to
 * compare with the CLI's output. Exit status 0 when every check passes. */
#define _POSIX_C_SOURCE 200809L
#include "portraitcl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int failures = 0;

#define CHECK(condition, ...) do { \
    if (!(condition)) { fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); failures++; } \
} while (0)

#define REQUIRE_OK(call, message_of) do { \
    pcl_status status_ = (call); \
    if (status_ != PCL_OK) { fprintf(stderr, "FAIL %s:%d: %s -> %d: %s\n", __FILE__, __LINE__, #call, status_, message_of); exit(1); } \
} while (0)

/* The test picture shared with python/tests (tests/picture.py): a deterministic RGB pattern. */
static void pattern(uint8_t *rgb, int size, int seed) {
    for (int y = 0; y < size; y++)
        for (int x = 0; x < size; x++)
            for (int c = 0; c < 3; c++)
                rgb[(y * size + x) * 3 + c] = (uint8_t)((x * 7 + y * 13 + c * 50 + seed * 31 + (x * y) % 17) % 256);
}

int main(int argc, char **argv) {
    const char *config = "tiny", *device = "cpu", *dump = NULL;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--config") == 0) config = argv[i + 1];
        else if (strcmp(argv[i], "--device") == 0) device = argv[i + 1];
        else if (strcmp(argv[i], "--dump") == 0) dump = argv[i + 1];
        else { fprintf(stderr, "unknown option %s\n", argv[i]); return 2; }
    }

    CHECK(strlen(pcl_version()) > 0, "empty version");
    CHECK(pcl_api_version() == PCL_API_VERSION, "API version %d, header %d", pcl_api_version(), PCL_API_VERSION);
    int devices = pcl_device_count();
    for (int i = 0; i < devices; i++) {
        char name[256];
        CHECK(pcl_device_name(i, name, sizeof name) == PCL_OK && strlen(name) > 0, "device %d has no name", i);
    }
    char small[4];
    CHECK(pcl_device_name(devices, small, sizeof small) == PCL_ERROR_INVALID_ARGUMENT, "device past the end accepted");
    CHECK(strstr(pcl_last_error(), "no OpenCL device") != NULL, "device error message: %s", pcl_last_error());

    pcl_engine *engine = NULL;
    CHECK(pcl_engine_create("quantum", &engine) != PCL_OK && engine == NULL, "unknown device accepted");
    CHECK(strlen(pcl_last_error()) > 0, "no message for an unknown device");
    REQUIRE_OK(pcl_engine_create(device, &engine), pcl_last_error());

    pcl_model *model = NULL;
    CHECK(pcl_model_create(engine, "no-such-config", NULL, 7, &model) != PCL_OK && model == NULL, "unknown config accepted");
    CHECK(strstr(pcl_engine_last_error(engine), "no-such-config") != NULL, "config error: %s", pcl_engine_last_error(engine));
    REQUIRE_OK(pcl_model_create(engine, config, NULL, 7, &model), pcl_engine_last_error(engine));
    int in = pcl_model_input_size(model), out = pcl_model_output_size(model);
    CHECK(in > 0 && out > 0, "sizes %d, %d", in, out);
    CHECK(pcl_model_flops(model, 1) > 0 && pcl_model_flops(model, 0) > 0, "no FLOPs");
    printf("portraitcl %s: %s (%s) on %s, %dpx in, %dpx out\n", pcl_version(), pcl_model_config_name(model),
           pcl_model_family(model), pcl_engine_name(engine), in, out);

    uint8_t *source = malloc((size_t)in * in * 3), *driver = malloc((size_t)in * in * 3);
    uint8_t *frame8 = malloc((size_t)out * out * 3);
    float *planes = malloc(sizeof(float) * 3 * in * in), *frame = malloc(sizeof(float) * 3 * out * out);
    float *again = malloc(sizeof(float) * 3 * out * out);
    pattern(source, in, 1);
    pattern(driver, in, 2);

    pcl_source *src = NULL;
    CHECK(pcl_source_create_rgb8(model, source, in + 1, in, &src) == PCL_ERROR_INVALID_ARGUMENT && src == NULL, "wrong size accepted");
    CHECK(strstr(pcl_model_last_error(model), "crop and resize") != NULL, "size message: %s", pcl_model_last_error(model));
    REQUIRE_OK(pcl_source_create_rgb8(model, source, in, in, &src), pcl_model_last_error(model));

    pcl_session *session = NULL;
    CHECK(pcl_session_create(model, src, 8, &session) == PCL_ERROR_INVALID_ARGUMENT && session == NULL, "unknown flags accepted");
    REQUIRE_OK(pcl_session_create(model, src, PCL_STILL_DRIVER | PCL_NO_WATERMARK, &session), pcl_model_last_error(model));
    for (int c = 0; c < 3; c++)
        for (int i = 0; i < in * in; i++) planes[c * in * in + i] = driver[i * 3 + c] * (1.0f / 255.0f);   /* as the CLI reads bytes */
    REQUIRE_OK(pcl_session_render_planar(session, planes, in, in, frame), pcl_session_last_error(session));
    double sum = 0;
    for (int i = 0; i < 3 * out * out; i++) {
        CHECK(frame[i] >= 0 && frame[i] <= 1, "value %g outside [0, 1]", frame[i]);
        sum += frame[i];
    }
    CHECK(sum > 0, "an all-black frame");
    if (dump) {
        FILE *file = fopen(dump, "wb");
        CHECK(file && fwrite(frame, sizeof(float), 3 * (size_t)out * out, file) == 3 * (size_t)out * out, "cannot write %s", dump);
        if (file) fclose(file);
    }

    /* The 8-bit path renders the same frame (a new clip: the same first frame), rounded. */
    REQUIRE_OK(pcl_session_restart_clip(session), pcl_session_last_error(session));
    REQUIRE_OK(pcl_session_render_rgb8(session, driver, in, in, frame8), pcl_session_last_error(session));
    int worst = 0;
    for (int c = 0; c < 3; c++)
        for (int i = 0; i < out * out; i++) {
            int d = abs((int)frame8[i * 3 + c] - (int)lroundf(frame[c * out * out + i] * 255));
            if (d > worst) worst = d;
        }
    CHECK(worst <= 1, "8-bit frame differs from the float frame by %d levels", worst);

    /* By default frames carry the invisible watermark, as the CLI's do. */
    pcl_session *marked = NULL;
    REQUIRE_OK(pcl_session_create(model, src, PCL_STILL_DRIVER, &marked), pcl_model_last_error(model));
    REQUIRE_OK(pcl_session_render_planar(marked, planes, in, in, again), pcl_session_last_error(marked));
    CHECK(memcmp(frame, again, sizeof(float) * 3 * out * out) != 0, "the default session's frame carries no watermark");
    pcl_session_destroy(marked);

    CHECK(pcl_session_render_rgb8(session, NULL, in, in, frame8) == PCL_ERROR_INVALID_ARGUMENT, "NULL driver accepted");
    CHECK(strstr(pcl_session_last_error(session), "NULL") != NULL, "NULL message: %s", pcl_session_last_error(session));

    /* A pose. */
    pcl_pose pose = {20, 0, 0, 0, 0, 0};
    REQUIRE_OK(pcl_session_render_pose(session, &pose, again), pcl_session_last_error(session));
    pose.yaw = NAN;
    CHECK(pcl_session_render_pose(session, &pose, again) == PCL_ERROR_INVALID_ARGUMENT, "NaN pose accepted");

    /* A saved and reloaded source renders the same frame. */
    char path[] = "/tmp/portraitcl-c-test-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0, "mkstemp");
    if (fd >= 0) close(fd);
    char saved[64];
    snprintf(saved, sizeof saved, "%s.safetensors", path);
    REQUIRE_OK(pcl_source_save(src, saved), pcl_source_last_error(src));
    pcl_source *loaded = NULL;
    REQUIRE_OK(pcl_source_load(model, saved, &loaded), pcl_model_last_error(model));
    REQUIRE_OK(pcl_session_set_source(session, loaded), pcl_session_last_error(session));
    REQUIRE_OK(pcl_session_render_planar(session, planes, in, in, again), pcl_session_last_error(session));
    CHECK(memcmp(frame, again, sizeof(float) * 3 * out * out) == 0, "the reloaded source renders another frame");
    remove(saved);
    remove(path);

    /* Faces: a flat picture holds none. */
    int count = -1;
    pcl_face faces[4];
    memset(source, 128, (size_t)in * in * 3);
    REQUIRE_OK(pcl_find_faces(engine, source, in, in, faces, 4, &count), pcl_engine_last_error(engine));
    CHECK(count == 0, "%d faces in a flat grey picture", count);
    int x = 0, y = 0, side = 0;
    pcl_face face = {100, 80, 60, 80, 0.9f, {115, 110, 145, 110, 130, 125, 118, 140, 142, 140}};
    REQUIRE_OK(pcl_face_crop(model, &face, 320, 240, &x, &y, &side), pcl_model_last_error(model));
    CHECK(side > 60 && x < 130 && x + side > 130, "crop %d,%d,%d does not hold the face", x, y, side);
    uint8_t *crop = malloc((size_t)in * in * 3), *wide = calloc(320 * 240 * 3, 1);
    REQUIRE_OK(pcl_crop_rgb8(model, wide, 320, 240, x, y, side, crop), pcl_model_last_error(model));
    CHECK(pcl_crop_rgb8(model, wide, 320, 240, 1000, 1000, 10, crop) == PCL_ERROR_INVALID_ARGUMENT, "a crop outside the picture accepted");

    /* The same device twice agrees exactly. */
    double difference = -1, psnr = 0;
    REQUIRE_OK(pcl_compare_devices(device, device, config, 7, planes, planes, in, &difference, &psnr), pcl_last_error());
    CHECK(difference == 0 && isinf(psnr), "the same device disagrees: %g, %g dB", difference, psnr);

    /* Handles may be destroyed in any order. */
    pcl_engine_destroy(engine);
    pcl_model_destroy(model);
    pcl_source_destroy(src);
    pcl_source_destroy(loaded);
    pcl_session_destroy(session);
    pcl_session_destroy(NULL);
    free(source); free(driver); free(frame8); free(planes); free(frame); free(again); free(crop); free(wide);
    if (failures) { fprintf(stderr, "%d check(s) failed\n", failures); return 1; }
    printf("C API test passed\n");
    return 0;
}
