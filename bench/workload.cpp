// Shared benchmark state (see workload.hpp).

#include "workload.hpp"

#include "bias_activation.cuh"
#include "check.hpp"
#include "init.cuh"

#include <algorithm>
#include <limits>
#include <vector>

namespace gemv::bench {
namespace {

constexpr std::uint64_t kSeedA = 1, kSeedX = 2, kSeedY = 3, kSeedBias = 4;

std::size_t padded(std::int64_t bytes) {
  // The streaming read covers whole 16-byte vectors.
  return static_cast<std::size_t>(ceil_div(bytes, 16) * 16);
}

device_buffer elements(std::int64_t count, dtype t) { return device_buffer(padded(count * size_of(t))); }

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

bool is_fp8(dtype t) { return t == dtype::e4m3 || t == dtype::e5m2; }

/// The values x holds: those of the 16-bit twin's grid beside 8-bit or mixed
/// types (and e4m3's beside fp8 weights), so that every yardstick reads them
/// exactly; otherwise x's own.
value_set x_values(const shape& s, dtype twin) {
  if (!has_16bit_twin(s)) return natural_values(s.types.x);
  if (is_fp8(s.types.a)) return {dtype::e4m3, 1.0f};
  return {twin, 1.0f};
}

value_set y_values(const shape& s, dtype twin) {
  return has_16bit_twin(s) ? value_set{twin, 1.0f} : natural_values(s.types.y);
}

void throw_unless_success(status st, const char* what) {
  if (st != status::success) throw failure(std::string(what) + ": " + to_string(st));
}

/// The ceiling's read: A's bytes; for a batch, as many bytes as the batch
/// moves (every member's A, x and y; a shared A or x once), and for several
/// vectors A once and every vector's x and y, so that vectors that weigh
/// next to A are held to a read of the same size.
std::int64_t ceiling_bytes_of(const shape& s, double beta) {
  return s.batch.batched() || s.multi() ? s.moved_bytes(beta) : s.matrix_bytes();
}

/// "gemv_multi(k=8), 2 passes over A of up to 4 vectors: PLAN", or "... a
/// batch of 8 vectors sharing A: PLAN" where the plan reads A once a vector
/// (the library's choice for short rows and for columns).
std::string multi_label(int vectors, const plan& pl) {
  const std::string k = std::to_string(vectors);
  std::string how;
  if (pl.pol.vectors > 1) {
    const std::int64_t passes = ceil_div(vectors, pl.pol.vectors);
    how = passes == 1 ? ", one pass over A"
                      : ", " + std::to_string(passes) + " passes over A of up to " +
                            std::to_string(pl.pol.vectors) + " vectors";
  } else if (vectors > 1) {
    how = ", a batch of " + k + " vectors sharing A";
  }
  return "gemv_multi(k=" + k + ")" + how + ": " + to_string(pl);
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
  check_cublas(cublasLtCreate(&cublaslt), "cublasLtCreate");
}

environment::~environment() {
  current_.reset();
  cublasLtDestroy(cublaslt);
  cublasDestroy(cublas);
  cudaStreamDestroy(stream);
}

workload& environment::acquire(const shape& s) {
  if (current_ && current_->problem_shape() == s) return *current_;
  current_.reset();
  current_ = std::make_unique<workload>(*this, s);
  return *current_;
}

sampling environment::sampling_for(std::int64_t bytes, std::int64_t launches) const {
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
  if (launches > 1024) {
    // One gemv per member of a large batch: each sample is thousands of
    // launches (milliseconds), and 20 of them keep the row to a second.
    s.warmup = 2;
    s.samples = 20;
  }
  if (opts.samples > 0) s.samples = opts.samples;
  return s;
}

workload::workload(environment& env, const shape& s)
    : env_(env),
      shape_(s),
      twin_(sixteen_bit_twin(s.types)),
      // A, and for a batch or several vectors room for the ceiling to read
      // what the call moves
      A_(padded(std::max(s.matrix_bytes(), ceiling_bytes_of(s, env.opts.beta)))),
      x_(elements(s.x_elements(), s.types.x)),
      y_(elements(s.y_elements(), s.types.y)),
      y_ref_(elements(s.y_elements(), dtype::f64)),  // the widest output any reference writes
      ref_shape_(s) {
  fill_inputs();
  if (s.batch.batched()) fill_member_arrays();
  if (!s.ep.any()) choose_yardstick();
}

void workload::fill_inputs() {
  const shape& s = shape_;
  const operand_types& t = s.types;
  const cudaStream_t stream = env_.stream;
  fill_random(A_.get(), t.a, natural_values(t.a), s.a_elements(), kSeedA, stream);
  fill_random(x_.get(), t.x, x_values(s, twin_), s.x_elements(), kSeedX, stream);
  reset_y();
  if (s.ep.any()) {
    z_ = elements(s.y_len(), t.y);
    fill_random(z_.get(), t.y, natural_values(t.y), s.y_len(), kSeedY, stream);
    if (s.ep.bias) {
      bias_ = elements(s.y_len(), t.y);
      fill_random(bias_.get(), t.y, natural_values(t.y), s.y_len(), kSeedBias, stream);
    }
  } else if (has_16bit_twin(s)) {
    // The twin's copies hold the same numbers (every 8-bit value and every
    // value of x's grid is exact in the 16-bit type).
    if (t.a != twin_) {
      A16_ = elements(s.m * s.n, twin_);
      fill_random(A16_.get(), twin_, natural_values(t.a), s.m * s.n, kSeedA, stream);
    }
    if (t.x != twin_) {
      x16_ = elements(s.x_len(), twin_);
      fill_random(x16_.get(), twin_, x_values(s, twin_), s.x_len(), kSeedX, stream);
    }
    y16_ = elements(s.y_len(), twin_);
    fill_random(y16_.get(), twin_, y_values(s, twin_), s.y_len(), kSeedY, stream);
  }
  if (is_fp8(t.a) && !s.ep.any()) {
    x8_ = elements(s.x_len(), dtype::e4m3);
    fill_random(x8_.get(), dtype::e4m3, x_values(s, twin_), s.x_len(), kSeedX, stream);
  }
  check_cuda(cudaStreamSynchronize(stream), "input fill");
}

/// The arrays of the `arrays` row, built once here so that its samples
/// time only the call: member b's A + b * stride_a, x + b * stride_x and
/// y + b * stride_y, the pointers the strided call computes itself.
void workload::fill_member_arrays() {
  const auto count = static_cast<std::size_t>(shape_.batch.count);
  std::vector<const void*> host(3 * count);
  for (std::size_t b = 0; b < count; ++b) {
    const gemv_call member = member_call(static_cast<std::int64_t>(b));
    host[b] = member.A;
    host[count + b] = member.x;
    host[2 * count + b] = member.y;
  }
  arrays_ = device_buffer(host.size() * sizeof(const void*));
  check_cuda(cudaMemcpy(arrays_.get(), host.data(), arrays_.bytes(), cudaMemcpyHostToDevice),
             "member pointer arrays");
}

void workload::choose_yardstick() {
  // cuBLAS where it has this gemv; for fp8 weights cuBLASLt's fp8 matmul if
  // it takes n = 1; otherwise cuBLAS on the 16-bit copy, which computes the
  // same numbers from twice the bytes.
  const operand_types& t = shape_.types;
  const double alpha = call().alpha, beta = env_.opts.beta;
  if (is_fp8(t.a)) {
    std::vector<typed_operand> b_choices{{x8_.get(), dtype::e4m3}};
    if (is_16bit(t.x)) b_choices.push_back({x_.get(), t.x});
    lt_ = std::make_unique<cublaslt_fp8_reference>(env_.cublaslt, shape_, env_.opts.alpha, beta,
                                                   A_.get(), per_tensor_scale(t.a), b_choices,
                                                   y_ref_.get());
    if (!lt_->accepted()) {
      ref_prefix_ = "cuBLASLt " + lt_->refusal() + "; yardstick ";
      lt_.reset();
    } else {
      // One trial call: a heuristic that offers an algorithm the call then
      // rejects must not cost the shape its gemv row.
      try {
        lt_->run(env_.stream);
        check_cuda(cudaStreamSynchronize(env_.stream), "cublasLtMatmul");
        return;
      } catch (const failure& e) {
        cudaGetLastError();
        ref_prefix_ = std::string("cuBLASLt took n=1 but failed (") + e.what() + "); yardstick ";
        lt_.reset();
      }
    }
  } else if (t.a == dtype::i8) {
    ref_prefix_ = "cuBLASLt has no int8-weight matmul with 16-bit or float x; yardstick ";
  }
  const void* A_twin = A16_.get() ? A16_.get() : A_.get();
  const void* x_twin = x16_.get() ? x16_.get() : x_.get();
  if (cublas_reference::covers(t)) {
    ref_.emplace(env_.cublas, shape_, alpha, beta, A_.get(), x_.get(), y_ref_.get());
    return;
  }
  // 16-bit A with float x: cuBLAS reads x in A's type. 8-bit weights: cuBLAS
  // reads the 16-bit copies.
  ref_shape_.types = is_16bit(t.a) ? operand_types{t.a, t.a, dtype::f32} : operand_types{twin_};
  ref_.emplace(env_.cublas, ref_shape_, alpha, beta, A_twin, x_twin, y_ref_.get());
}

workload::~workload() = default;

gemv_call workload::call() const {
  gemv_call c;
  c.types = shape_.types;
  c.lay = shape_.lay;
  c.trans = shape_.trans;
  c.m = shape_.m;
  c.n = shape_.n;
  c.alpha = double{env_.opts.alpha} * per_tensor_scale(shape_.types.a);
  c.A = A_.get();
  c.lda = shape_.lda();
  c.x = x_.get();
  c.beta = env_.opts.beta;
  c.y = y_.get();
  c.bias = bias_.get();
  c.act = shape_.ep.act;
  if (shape_.batch.batched()) {
    c.batch = shape_.batch.count;
    c.stride_a = shape_.stride_a();
    c.stride_x = shape_.stride_x();
    c.stride_y = shape_.stride_y();
  }
  if (shape_.multi()) {
    c.vectors = shape_.vectors;
    c.ldx = shape_.ldx();
    c.ldy = shape_.ldy();
  }
  return c;
}

gemv_call workload::member_call(std::int64_t b) const {
  gemv_call c = call();
  const auto offset = [b](std::int64_t stride, dtype t) { return b * stride * size_of(t); };
  c.A = static_cast<const char*>(c.A) + offset(c.stride_a, shape_.types.a);
  c.x = static_cast<const char*>(c.x) + offset(c.stride_x, shape_.types.x);
  c.y = static_cast<char*>(c.y) + offset(c.stride_y, shape_.types.y);
  c.batch = 1;
  c.stride_a = c.stride_x = c.stride_y = 0;
  return c;
}

gemv_call workload::arrays_call() const {
  gemv_call c = call();
  const auto* pointers = arrays_.as<const void*>();
  c.A_array = pointers;
  c.x_array = pointers + c.batch;
  c.y_array = pointers + 2 * c.batch;
  c.A = c.x = nullptr;
  c.y = nullptr;
  c.stride_a = c.stride_x = c.stride_y = 0;
  return c;
}

gemv_call workload::single_call() const {
  gemv_call c = call();
  c.vectors = 0;
  c.ldx = c.ldy = 0;
  return c;
}

/// The call without its epilogue, into z (y = alpha * op(A) * x + beta * z).
gemv_call workload::plain_call() const {
  gemv_call c = call();
  c.y = z_.get();
  c.bias = nullptr;
  c.act = activation::none;
  return c;
}

/// The same problem in the 16-bit type throughout, on the copies.
gemv_call workload::twin_call() const {
  gemv_call c = call();
  c.types = twin_;
  if (A16_.get()) c.A = A16_.get();
  if (x16_.get()) c.x = x16_.get();
  c.y = y16_.get();
  return c;
}

/// The plain call with beta 0 into z, then y = act(z + bias) + beta * y.
void workload::run_unfused(void* out, cudaStream_t stream) {
  gemv_call c = plain_call();
  c.beta = 0.0;
  throw_unless_success(run_default(c, stream), "gemv");
  bias_activation(z_.get(), bias_.get(), shape_.ep.act, env_.opts.beta, out, shape_.types.y,
                  shape_.y_len(), stream);
}

/// One gemv::gemv per member, as a caller without a batched call would.
void workload::run_loop(cudaStream_t stream) {
  for (std::int64_t b = 0; b < shape_.batch.count; ++b)
    throw_unless_success(run_default(member_call(b), stream), "gemv");
}

std::int64_t workload::ceiling_bytes() const { return ceiling_bytes_of(shape_, env_.opts.beta); }

void workload::run(row_kind k, cudaStream_t stream) {
  switch (k) {
    case row_kind::gemv: return throw_unless_success(run_default(call(), stream), "gemv");
    case row_kind::gemv_plain: return throw_unless_success(run_default(plain_call(), stream), "gemv");
    case row_kind::gemv_16bit: return throw_unless_success(run_default(twin_call(), stream), "gemv");
    case row_kind::unfused: return run_unfused(y_ref_.get(), stream);
    case row_kind::arrays: return throw_unless_success(run_default(arrays_call(), stream), "gemv");
    case row_kind::loop: return run_loop(stream);
    case row_kind::single: return throw_unless_success(run_default(single_call(), stream), "gemv");
    case row_kind::ceiling:
      return env_.reader.read(ceiling_variant(), A_.get(), ceiling_bytes(), stream);
    case row_kind::cublas:
      if (lt_) return lt_->run(stream);
      if (cublas_reference* ref = cublas()) return ref->run(stream);
      throw failure("this shape has no cuBLAS yardstick");
  }
}

std::int64_t workload::bytes(row_kind k) const {
  const double beta = env_.opts.beta;
  const auto with_types = [&](operand_types t) {
    shape s = shape_;
    s.types = t;
    s.ep = {};
    return s.moved_bytes(beta);
  };
  switch (k) {
    case row_kind::gemv:
    case row_kind::arrays:
    case row_kind::loop: return shape_.moved_bytes(beta);  // the same batch, however it runs
    case row_kind::single: {
      shape one = shape_;
      one.vectors = 0;
      return one.moved_bytes(beta);
    }
    case row_kind::gemv_plain: return with_types(shape_.types);
    case row_kind::gemv_16bit: return with_types(twin_);
    case row_kind::unfused: {
      // The plain call writes z; the kernel reads z and the bias and writes y.
      const std::int64_t y_bytes = shape_.y_len() * size_of(shape_.types.y);
      return shape_.moved_bytes(0.0) + 2 * y_bytes + (beta != 0.0 ? y_bytes : 0);
    }
    case row_kind::ceiling: return ceiling_bytes();
    case row_kind::cublas:
      return with_types(lt_ ? lt_->types_read() : ref_shape_.types);
  }
  return 0;
}

std::int64_t workload::launches(row_kind k) const {
  return k == row_kind::loop ? shape_.batch.count : 1;
}

std::string workload::label(row_kind k) {
  switch (k) {
    case row_kind::gemv:
    case row_kind::gemv_plain:
    case row_kind::gemv_16bit: {
      plan pl;
      const gemv_call c = k == row_kind::gemv ? call() : k == row_kind::gemv_plain ? plain_call() : twin_call();
      throw_unless_success(plan_of(c, pl), "choose_plan");
      if (c.batched())
        return "gemv_strided_batched, " + std::to_string(c.batch) +
               " members planned as one problem: " + to_string(pl);
      if (c.multi()) return multi_label(c.vectors, pl);
      return to_string(pl);
    }
    case row_kind::arrays: {
      plan pl;
      throw_unless_success(plan_of(arrays_call(), pl), "choose_plan");
      return "gemv_batched, " + std::to_string(shape_.batch.count) +
             " members from pointer arrays: " + to_string(pl);
    }
    case row_kind::loop: {
      plan pl;
      throw_unless_success(plan_of(member_call(0), pl), "choose_plan");
      return "gemv::gemv per member, " + std::to_string(shape_.batch.count) +
             " calls of: " + to_string(pl);
    }
    case row_kind::single: {
      plan pl;
      throw_unless_success(plan_of(single_call(), pl), "choose_plan");
      return "gemv::gemv of the first vector: " + to_string(pl);
    }
    case row_kind::unfused:
      return "gemv, then one kernel: y = " + shape_.ep.name() + "(z)";
    case row_kind::ceiling: return env_.reader.name(ceiling_variant());
    case row_kind::cublas: {
      if (lt_) return lt_->name();
      cublas_reference* ref = cublas();
      if (!ref) throw failure("this shape has no cuBLAS yardstick");
      std::string name = ref_prefix_ + cublas_reference::name(ref->chosen(), ref_shape_);
      if (!(ref_shape_.types == shape_.types)) name += " on " + ref_shape_.types.name() + " operands";
      return name;
    }
  }
  return {};
}

cublas_reference* workload::cublas() {
  if (!ref_) return nullptr;
  if (!ref_chosen_) {
    const auto& candidates = ref_->candidates();
    const int best =
        candidates.size() == 1
            ? 0
            : fastest(env_, static_cast<int>(candidates.size()), bytes(row_kind::cublas),
                      [&](int i, cudaStream_t s) { ref_->run(candidates[i], s); });
    ref_->choose(candidates[best]);
    ref_chosen_ = true;
  }
  return &*ref_;
}

int workload::ceiling_variant() {
  if (ceiling_ < 0) {
    ceiling_ = fastest(
        env_, env_.reader.variants(), ceiling_bytes(),
        [&](int v, cudaStream_t s) { env_.reader.read(v, A_.get(), ceiling_bytes(), s); });
  }
  return ceiling_;
}

void workload::reset_y() {
  fill_random(y_.get(), shape_.types.y, y_values(shape_, twin_), shape_.y_elements(), kSeedY,
              env_.stream);
}

dtype workload::reference_type() {
  if (shape_.ep.any() || (lt_)) return shape_.types.y;
  cublas_reference* ref = cublas();
  return ref->output_type(ref->chosen());
}

std::string workload::reference_name() {
  return shape_.ep.any() ? "the unfused epilogue" : label(row_kind::cublas);
}

void workload::compute_reference() {
  // The reference's y starts from the same values as gemv's, in its output type.
  fill_random(y_ref_.get(), reference_type(), y_values(shape_, twin_), shape_.y_elements(),
              kSeedY, env_.stream);
  run(shape_.ep.any() ? row_kind::unfused : row_kind::cublas, env_.stream);
}

double workload::error_of(row_kind k) {
  if (k != row_kind::gemv && k != row_kind::arrays)
    throw failure("only the rows that write gemv's y are checked against its reference");
  std::optional<double>& error = k == row_kind::gemv ? gemv_error_ : arrays_error_;
  if (!error) {
    // The reference again: other rows (cublas, unfused) write into its buffer.
    compute_reference();
    reset_y();
    run(k, env_.stream);
    check_cuda(cudaStreamSynchronize(env_.stream), "correctness run");
    error = error_against_reference();
  }
  return *error;
}

double workload::tolerance() { return bench::tolerance(shape_.types.y, reference_type()); }

double workload::error_against_reference() {
  check_cuda(cudaStreamSynchronize(env_.stream), "before the comparison");
  return worst_member_l2_diff(y_.get(), shape_.types.y, y_ref_.get(), reference_type(),
                              shape_.y_len(), shape_.y_count());
}

}  // namespace gemv::bench
