// Shared benchmark state (see workload.hpp).

#include "workload.hpp"

#include "check.hpp"
#include "init.cuh"

#include <limits>

namespace gemv::bench {
namespace {

constexpr std::uint64_t kSeedA = 1, kSeedX = 2, kSeedY = 3;

std::size_t padded(std::int64_t bytes) {
  // The streaming read covers whole 16-byte vectors.
  return static_cast<std::size_t>(ceil_div(bytes, 16) * 16);
}

/// Runs each candidate a few times with the usual flush and returns the index
/// of the fastest; candidates that fail are skipped.
template <class Run>
int fastest(environment& env, int count, std::int64_t bytes, Run&& run) {
  sampling quick = env.sampling_for(bytes);
  quick.warmup = 1;
  quick.samples = std::min(quick.samples, 7);
  int best = -1;
  double best_time = std::numeric_limits<double>::infinity();
  std::string errors;
  for (int i = 0; i < count; ++i) {
    try {
      const timing t = measure(env.stream, env.flush, quick, [&](cudaStream_t s) { run(i, s); });
      if (t.median < best_time) {
        best = i;
        best_time = t.median;
      }
    } catch (const failure& e) {
      errors += std::string(errors.empty() ? "" : "; ") + e.what();
      cudaGetLastError();
    }
  }
  if (best < 0) throw failure("no candidate ran: " + errors);
  return best;
}

device_facts use_device(int device) {
  check_cuda(cudaSetDevice(device), "cudaSetDevice");
  return query_device_facts(device);
}

}  // namespace

environment::environment(const options& o)
    : opts(o),
      facts(use_device(o.device)),
      reader(facts.sm_count),
      flush(facts.l2_bytes, o.flush, reader) {
  check_cuda(cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking), "cudaStreamCreate");
  check_cublas(cublasCreate(&cublas), "cublasCreate");
  check_cublas(cublasSetStream(cublas, stream), "cublasSetStream");
}

environment::~environment() {
  current_.reset();
  cublasDestroy(cublas);
  cudaStreamDestroy(stream);
}

workload& environment::acquire(const shape& s) {
  if (current_ && current_->problem_shape() == s) return *current_;
  current_.reset();
  current_ = std::make_unique<workload>(*this, s);
  return *current_;
}

sampling environment::sampling_for(std::int64_t bytes) const {
  sampling s;
  if (bytes >= (std::int64_t{1} << 30)) {
    s.warmup = 2;
    s.samples = 20;
  } else if (bytes >= (std::int64_t{64} << 20)) {
    s.warmup = 3;
    s.samples = 30;
  } else {
    s.warmup = 5;
    s.samples = 100;
  }
  if (opts.samples > 0) s.samples = opts.samples;
  return s;
}

workload::workload(environment& env, const shape& s)
    : env_(env),
      shape_(s),
      A_(padded(s.matrix_bytes())),
      x_(padded(s.x_len() * s.element_bytes())),
      y_(padded(s.y_len() * s.element_bytes())),
      y_ref_(padded(s.y_len() * 4)),  // float-sized: one cuBLAS entry point writes float
      ref_(env.cublas, s, env.opts.alpha, env.opts.beta, A_.get(), x_.get(), y_ref_.get()) {
  fill_random(A_.get(), s.type, s.type, s.m * s.n, kSeedA, env.stream);
  fill_random(x_.get(), s.type, s.type, s.x_len(), kSeedX, env.stream);
  reset_y();
  check_cuda(cudaStreamSynchronize(env.stream), "input fill");
}

gemv_call workload::call() const {
  gemv_call c;
  c.type = shape_.type;
  c.lay = shape_.lay;
  c.trans = shape_.trans;
  c.m = shape_.m;
  c.n = shape_.n;
  c.alpha = env_.opts.alpha;
  c.A = A_.get();
  c.lda = shape_.lda();
  c.x = x_.get();
  c.beta = env_.opts.beta;
  c.y = y_.get();
  return c;
}

cublas_reference& workload::cublas() {
  if (!ref_chosen_) {
    const auto& candidates = ref_.candidates();
    const int best =
        candidates.size() == 1
            ? 0
            : fastest(env_, static_cast<int>(candidates.size()), shape_.moved_bytes(env_.opts.beta),
                      [&](int i, cudaStream_t s) { ref_.run(candidates[i], s); });
    ref_.choose(candidates[best]);
    ref_chosen_ = true;
  }
  return ref_;
}

int workload::ceiling_variant() {
  if (ceiling_ < 0) {
    ceiling_ = fastest(
        env_, env_.reader.variants(), shape_.matrix_bytes(),
        [&](int v, cudaStream_t s) { env_.reader.read(v, A_.get(), shape_.matrix_bytes(), s); });
  }
  return ceiling_;
}

void workload::read_ceiling(cudaStream_t stream) {
  env_.reader.read(ceiling_variant(), A_.get(), shape_.matrix_bytes(), stream);
}

void workload::run_gemv(cudaStream_t stream) {
  const status st = run_default(call(), stream);
  if (st != status::success) throw failure(std::string("gemv: ") + to_string(st));
}

void workload::reset_y() {
  fill_random(y_.get(), shape_.type, shape_.type, shape_.y_len(), kSeedY, env_.stream);
}

void workload::compute_reference() {
  cublas_reference& ref = cublas();
  // cuBLAS's y starts from the same values as gemv's, in its output type.
  fill_random(y_ref_.get(), ref.output_type(ref.chosen()), shape_.type, shape_.y_len(), kSeedY,
              env_.stream);
  ref.run(env_.stream);
}

double workload::default_error() {
  if (!default_error_) {
    compute_reference();
    reset_y();
    run_gemv(env_.stream);
    check_cuda(cudaStreamSynchronize(env_.stream), "correctness run");
    default_error_ = error_against_reference();
  }
  return *default_error_;
}

double workload::error_against_reference() {
  check_cuda(cudaStreamSynchronize(env_.stream), "before the comparison");
  return relative_l2_diff(y_.get(), shape_.type, y_ref_.get(), ref_.output_type(ref_.chosen()),
                          shape_.y_len());
}

}  // namespace gemv::bench
