// A small harness for reference/libfacedetection/make_face_fixture.py (written for PortraitCL, not
// part of libfacedetection): reads raw RGB bytes, converts them to the BGR the library expects, and
// prints every face objectdetect_cnn returns.
// Usage: lfd IMAGE.rgb WIDTH HEIGHT
#include "facedetectcnn.h"
#include <cstdio>
#include <cstdlib>
#include <vector>
#include <chrono>
std::vector<FaceRect> objectdetect_cnn(unsigned char* rgbImageData, int width, int height, int step);
int main(int argc, char** argv) {
    int w = atoi(argv[2]), h = atoi(argv[3]);
    std::vector<unsigned char> rgb(w * h * 3), bgr(w * h * 3);
    FILE* f = fopen(argv[1], "rb"); fread(rgb.data(), 1, rgb.size(), f); fclose(f);
    for (int i = 0; i < w * h; i++) { bgr[3*i] = rgb[3*i+2]; bgr[3*i+1] = rgb[3*i+1]; bgr[3*i+2] = rgb[3*i]; }
    std::vector<unsigned char> buf(FACEDETECTION_RESULT_BUFFER_SIZE);
    auto t0 = std::chrono::steady_clock::now();
    int* r = facedetect_cnn(buf.data(), bgr.data(), w, h, w * 3);
    auto t1 = std::chrono::steady_clock::now();
    auto faces = objectdetect_cnn((unsigned char*)bgr.data(), w, h, w * 3);
    fprintf(stderr, "ms %.2f\n", std::chrono::duration<double, std::milli>(t1 - t0).count());
    for (auto& fr : faces) {
        printf("%.6f %d %d %d %d", fr.score, fr.x, fr.y, fr.w, fr.h);
        for (int i = 0; i < 10; i++) printf(" %d", fr.lm[i]);
        printf("\n");
    }
    (void)r;
}
