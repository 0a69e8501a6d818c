using System.Text;

namespace WeakNas.Data;

/// <summary>
/// The results of one training run of a NAS-Bench-101 cell (the proto2 <c>ModelMetrics</c> message):
/// field 1 <c>evaluation_data</c> (repeated; the official data holds the start, the halfway point and the
/// end of training, in that order), field 2 <c>trainable_parameters</c> (int32), field 3 <c>total_time</c>
/// (double). Unknown fields are skipped, as protobuf readers do.
/// </summary>
public sealed record NasBench101ModelMetrics
{
    /// <summary>The evaluations in file order.</summary>
    public IReadOnlyList<NasBench101EvaluationData> EvaluationData { get; init; } = [];

    /// <summary>Trainable parameters of the model.</summary>
    public int TrainableParameters { get; init; }

    /// <summary>Total time of the run, seconds.</summary>
    public double TotalTime { get; init; }

    /// <summary>The evaluation at the end of training: the last one (the official API's <c>evaluation_data[2]</c>).</summary>
    public NasBench101EvaluationData? Final => EvaluationData.Count > 0 ? EvaluationData[^1] : null;

    /// <summary>Decodes the serialized message; throws <see cref="FormatException"/> if it is malformed.</summary>
    public static NasBench101ModelMetrics Parse(ReadOnlySpan<byte> message)
    {
        var reader = new ProtoReader(message);
        var evaluations = new List<NasBench101EvaluationData>(3);
        int parameters = 0;
        double totalTime = 0;
        while (reader.TryReadTag(out int field, out int wireType))
        {
            switch (field)
            {
                case 1:
                    Expect(field, wireType, ProtoReader.LengthDelimited, "evaluation_data");
                    evaluations.Add(ParseEvaluation(reader.ReadLengthDelimited()));
                    break;
                case 2:
                    Expect(field, wireType, ProtoReader.Varint, "trainable_parameters");
                    parameters = reader.ReadInt32();
                    break;
                case 3:
                    Expect(field, wireType, ProtoReader.Fixed64, "total_time");
                    totalTime = reader.ReadDouble();
                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }
        return new NasBench101ModelMetrics { EvaluationData = evaluations, TrainableParameters = parameters, TotalTime = totalTime };
    }

    private static NasBench101EvaluationData ParseEvaluation(ReadOnlySpan<byte> message)
    {
        var reader = new ProtoReader(message);
        double epoch = 0, time = 0, train = 0, validation = 0, test = 0;
        string checkpoint = "";
        while (reader.TryReadTag(out int field, out int wireType))
        {
            switch (field)
            {
                case >= 1 and <= 5:
                    Expect(field, wireType, ProtoReader.Fixed64, "a double of evaluation_data");
                    double value = reader.ReadDouble();
                    switch (field)
                    {
                        case 1: epoch = value; break;
                        case 2: time = value; break;
                        case 3: train = value; break;
                        case 4: validation = value; break;
                        default: test = value; break;
                    }
                    break;
                case 6:
                    Expect(field, wireType, ProtoReader.LengthDelimited, "checkpoint_path");
                    checkpoint = Encoding.UTF8.GetString(reader.ReadLengthDelimited());
                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }
        return new NasBench101EvaluationData
        {
            CurrentEpoch = epoch,
            TrainingTime = time,
            TrainAccuracy = train,
            ValidationAccuracy = validation,
            TestAccuracy = test,
            CheckpointPath = checkpoint,
        };
    }

    private static void Expect(int field, int wireType, int expected, string name)
    {
        if (wireType != expected)
            throw new FormatException($"field {field} ({name}) has wire type {wireType}, expected {expected}");
    }
}
