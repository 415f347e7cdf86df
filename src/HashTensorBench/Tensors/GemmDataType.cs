namespace HashTensorBench.Tensors;

/// <summary>The element type of the inputs A and B. C and the accumulation are FP32 either way.</summary>
public enum GemmDataType
{
    /// <summary>IEEE single precision (<see cref="float"/>).</summary>
    Fp32,

    /// <summary>IEEE half precision (<see cref="Half"/>), widened to FP32 exactly before multiplying.</summary>
    Fp16,
}
