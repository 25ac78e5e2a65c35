// Adds aws-sdk-client-mock's matchers (toHaveReceivedCommandWith, …) to expect.
import 'aws-sdk-client-mock-jest';
