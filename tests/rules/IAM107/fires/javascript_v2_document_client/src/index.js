const AWS = require("aws-sdk");

const documents = new AWS.DynamoDB.DocumentClient();

exports.handler = async (event) => {
  await documents
    .delete({ TableName: process.env.TABLE_NAME, Key: { pk: event.id } })
    .promise();
};
